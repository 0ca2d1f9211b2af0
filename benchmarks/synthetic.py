"""Synthetic catalogues for the matcher's growth benchmark (``benchmarks/matching.py``).

``synthetic_catalogue(size, seed)`` returns the real catalogue (``load_catalogue()``: its 113
papers, lists, topics, author aliases and decoys, all unchanged) plus ``size - 113`` made-up
papers. The made-up papers are added to ``papers`` only, never to a reading list, so every
labelled question keeps its real answer and the new papers act as distractors: a catalogue of
10,000 entries that look like machine-learning papers.

How a synthetic paper is made (one ``random.Random(seed)``, so a seed gives the same catalogue
every time):

* **Title.** One of 17 patterns seen in real titles, e.g. ``<Method>: <Adj> <Domain> <Noun>
  for <Task>``, ``Learning to <Verb> <Object> with <Adj> <Noun>``, ``Towards <Adj> <Noun> for
  <Task>``, ``On the <Property> of <Adj> <Noun>``, ``<Adj> <Noun> Are <Adj> <Domain>
  Learners``, ``<Noun> Is All You Need for <Task>``. The slots draw from word lists of
  adjectives (131), domains (60), head nouns (82), tasks (131), techniques (81), verbs (30),
  objects (28), properties (30) and scales (10), each with a Zipf-like weight (1 / rank^0.9),
  so common words ("Deep", "Networks", "Models", "Learning", "Image") recur in many titles
  and the tail words appear in few, as in real titles (10,000 titles use about 4,800
  distinct words, 3,400 of them once).
* **Method name** (in about half the titles, and always an alias): a made-up but plausible
  name, unique in the catalogue: prefix + suffix from 160 x 78 parts (``GraphMAE``,
  ``SwinDet``), with a variant (``ViT-Lite``, ``PoseFormer-XL``), an ``a2b`` name
  (``graph2seq``) or an acronym of the title's words (``HMAE``).
  About 6% of papers are sequels of an earlier synthetic method (``FooNet v2``, ``FooNet-XL``),
  which makes near-twins like the real YOLO / YOLOv2.
* **Aliases.** 0-4 English (the method name, an acronym, a short noun phrase, sized or
  versioned names, "<Surname> et al. <year>") and 0-2 Chinese (the Chinese noun phrase,
  "<Method> 模型", "<Method> 第二版"). An alias names one paper only, and a short name made
  only of the commonest words ("Deep Networks") is never an alias.
* **Chinese title.** Built from the same slots with a word-level English -> Chinese vocabulary
  (注意力, 卷积, 网络, 图, 生成, 对比学习, 扩散模型, ...) and Chinese word order
  (``面向<task>的<adj><noun>``, ``基于<technique>的...``, ``论<adj><noun>的<property>``, with
  the connectives varied); method names stay in Latin letters, as in real Chinese titles.
* **The rest.** 1-6 authors from first/last-name pools (English, European, Indian, Korean and
  Chinese names in pinyin), a year in 1990-2026 weighted towards recent years, 1-5 topics
  from the real topic ids (each task, domain and technique names its topics), kind "paper"
  (96%; else blog post, tutorial, course, thesis or book), a venue, an arXiv-style URL, and a
  one-line summary/why.

Ids are ``syn-00001-<slug>`` and never clash with real ids; titles are unique. A synthetic
title, alias or method name whose compact form (lower case, letters and digits only) equals
one of a real paper's or decoy's names is drawn again, so no real question becomes truly
ambiguous; near names ("ResNet-Lite" beside "ResNet") are allowed, as in a real catalogue.

Building 10,000 papers takes about a second (1.3 s on the 2-core development machine), plus
loading the real catalogue.
"""

from __future__ import annotations

import bisect
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.core.catalogue import Bilingual, Catalogue, Paper, load_catalogue

# --- vocabulary: "English|中文|topic ids", most common first -------------------------------

_ADJECTIVES = """
Deep|深度|
Neural|神经|
Efficient|高效|efficient-models
Self-Supervised|自监督|self-supervised
Scalable|可扩展|scaling
Robust|鲁棒|
Unsupervised|无监督|representation-learning
Contrastive|对比|contrastive-learning
Generative|生成式|generative-models
Large-Scale|大规模|scaling
Hierarchical|层次化|
Sparse|稀疏|efficient-models
Adaptive|自适应|
Masked|掩码|self-supervised
Conditional|条件|generative-models
Multi-Scale|多尺度|computer-vision
Dynamic|动态|
Lightweight|轻量级|efficient-models
Latent|隐空间|generative-models
Probabilistic|概率|
Bayesian|贝叶斯|
Variational|变分|vae
Adversarial|对抗|gan
Semi-Supervised|半监督|
Weakly-Supervised|弱监督|
Few-Shot|小样本|
Zero-Shot|零样本|
Cross-Modal|跨模态|multimodal
Multimodal|多模态|multimodal
Differentiable|可微|
Implicit|隐式|
Equivariant|等变|
Invariant|不变|
Causal|因果|
Federated|联邦|distributed-training
Continual|持续|
Compositional|组合式|
Structured|结构化|
Recurrent|循环|rnn
Convolutional|卷积|cnn
Attentive|注意力|attention
Stochastic|随机|optimization
Interpretable|可解释|interpretability
Transferable|可迁移|
Universal|通用|
Unified|统一|
Simple|简单|
Fast|快速|efficient-models
Accurate|精确|
Local|局部|
Global|全局|
Temporal|时序|video
Spatial|空间|
Spatio-Temporal|时空|video
Discrete|离散|
Continuous|连续|
Autoregressive|自回归|language-models
Non-Autoregressive|非自回归|
Bidirectional|双向|
Residual|残差|residual-networks
Dense|稠密|
Modular|模块化|
Open-Vocabulary|开放词汇|multimodal
Instruction-Tuned|指令微调|language-models
Retrieval-Augmented|检索增强|language-models
Memory-Efficient|内存高效|systems
Parameter-Efficient|参数高效|efficient-models
Energy-Based|基于能量的|generative-models
Score-Based|基于分数的|diffusion
Geometric|几何|
Topological|拓扑|
Quantized|量化|efficient-models
Binary|二值|efficient-models
Low-Rank|低秩|efficient-models
Calibrated|校准的|
Certified|可认证|
Private|隐私保护|
Decentralized|去中心化|distributed-training
Asynchronous|异步|distributed-training
Online|在线|
Offline|离线|reinforcement-learning
Model-Based|基于模型的|reinforcement-learning
Model-Free|无模型|reinforcement-learning
Hybrid|混合|
Shallow|浅层|
Wide|宽|
Tiny|微型|efficient-models
Mixture-of-Experts|混合专家|scaling
Long-Range|长程|
Multi-Task|多任务|
Multi-View|多视图|3d
Multi-Agent|多智能体|reinforcement-learning
Multilingual|多语言|nlp
Cross-Lingual|跨语言|nlp
Domain-Adaptive|域自适应|
Noise-Robust|抗噪|
Label-Efficient|标签高效|
Data-Efficient|数据高效|
Sample-Efficient|样本高效|reinforcement-learning
Hardware-Aware|硬件感知|systems
Physics-Informed|物理信息|science
Neuro-Symbolic|神经符号|
Object-Centric|以物体为中心的|representation-learning
Token-Free|无词元|nlp
Diffusion-Based|基于扩散的|diffusion
Flow-Based|基于流的|generative-models
Graph-Based|基于图的|graph-neural-networks
Transformer-Based|基于 Transformer 的|transformer
Attention-Free|无注意力|
Pixel-Level|像素级|computer-vision
Instance-Level|实例级|
Region-Based|基于区域的|object-detection
End-to-End|端到端|
Two-Stage|两阶段|
One-Stage|单阶段|object-detection
Anchor-Free|无锚框|object-detection
Real-Time|实时|
Training-Free|免训练|
Gradient-Free|无梯度|optimization
Second-Order|二阶|optimization
Distributed|分布式|distributed-training
Progressive|渐进式|
Recursive|递归|
Iterative|迭代|
Cascaded|级联|
Deformable|可变形|computer-vision
Dilated|空洞|cnn
Gated|门控|
Normalized|归一化|
Permutation-Invariant|置换不变|
Rotation-Equivariant|旋转等变|
"""

_DOMAINS = """
Image|图像|computer-vision
Language|语言|nlp
Vision|视觉|computer-vision
Graph|图|graph-neural-networks
Video|视频|video
Text|文本|nlp
Speech|语音|speech
Visual|视觉|computer-vision
Point Cloud|点云|3d
3D|三维|3d
Audio|音频|speech
Molecular|分子|science
Protein|蛋白质|science
Code|代码|code-generation
Scene|场景|computer-vision
Vision-Language|视觉语言|multimodal
Time-Series|时间序列|
Tabular|表格|
Document|文档|nlp
Medical Image|医学图像|computer-vision
Knowledge Graph|知识图谱|graph-neural-networks
Sequence|序列|sequence-to-sequence
Sentence|句子|nlp
Word|词|nlp
Pixel|像素|computer-vision
Object|物体|object-detection
Motion|运动|video
Music|音乐|speech
Satellite Image|卫星图像|computer-vision
Video-Language|视频语言|multimodal
Robot|机器人|reinforcement-learning
Driving|驾驶|
Dialogue|对话|nlp
Mesh|网格|3d
Shape|形状|3d
Face|人脸|computer-vision
Human|人体|computer-vision
Event|事件|
Chemical|化学|science
Financial|金融|
Clinical|临床|science
Math|数学|mathematics
Program|程序|code-generation
Trajectory|轨迹|
Character|字符|nlp
Handwriting|手写|computer-vision
Radar|雷达|
Lidar|激光雷达|3d
Spectrogram|声谱|speech
Hyperspectral|高光谱|computer-vision
Genomic|基因组|science
Cell|细胞|science
Climate|气候|science
Web|网页|
Query|查询|
Table|表格|
Layout|版面|
Sketch|草图|image-generation
Token|词元|
Latent|隐变量|generative-models
"""

_NOUNS = """
Networks|网络|
Models|模型|
Representations|表示|representation-learning
Transformers|Transformer|transformer
Learning|学习|
Embeddings|嵌入|representation-learning
Autoencoders|自编码器|vae
Attention|注意力|attention
Encoders|编码器|
Diffusion Models|扩散模型|diffusion
Features|特征|
Decoders|解码器|
Pretraining|预训练|pretraining
Policies|策略|reinforcement-learning
Memory|记忆|memory
Priors|先验|
Normalizing Flows|归一化流|generative-models
Tokenizers|分词器|nlp
Adapters|适配器|efficient-models
Prompts|提示|language-models
Kernels|核|
Classifiers|分类器|image-classification
Detectors|检测器|object-detection
Estimators|估计器|
Optimizers|优化器|optimization
Agents|智能体|reinforcement-learning
Distillation|蒸馏|efficient-models
Pruning|剪枝|efficient-models
Quantization|量化|efficient-models
Fine-Tuning|微调|pretraining
Regularization|正则化|regularization
Normalization|归一化|
Alignment|对齐|
Retrieval|检索|
Reasoning|推理|
Planning|规划|reinforcement-learning
Sampling|采样|generative-models
Inference|推断|
Objectives|目标函数|
Losses|损失函数|optimization
Mixers|混合器|
Capsules|胶囊|
Operators|算子|
Radiance Fields|辐射场|3d
Codebooks|码本|
Latents|隐变量|generative-models
Tokens|词元|
Patches|图像块|computer-vision
Experts|专家|scaling
Routers|路由器|
Layers|层|
Blocks|模块|
Backbones|骨干网络|computer-vision
Descriptors|描述子|computer-vision
Graphs|图|graph-neural-networks
Trees|树|
Programs|程序|code-generation
Skills|技能|reinforcement-learning
World Models|世界模型|reinforcement-learning
Value Functions|价值函数|reinforcement-learning
Reward Models|奖励模型|language-models
Critics|评论家|reinforcement-learning
Generators|生成器|generative-models
Discriminators|判别器|gan
Samplers|采样器|generative-models
Schedulers|调度器|systems
Pipelines|流水线|systems
Benchmarks|基准|
Datasets|数据集|
Metrics|指标|
Hypernetworks|超网络|
Filters|滤波器|
Gates|门控单元|
Pyramids|金字塔|computer-vision
Anchors|锚框|object-detection
Queries|查询|
Masks|掩码|segmentation
Keypoints|关键点|computer-vision
Sketches|草图|
Caches|缓存|systems
Compilers|编译器|systems
Simulators|模拟器|
"""

_TASKS = """
Image Classification|图像分类|image-classification computer-vision
Object Detection|目标检测|object-detection computer-vision
Semantic Segmentation|语义分割|segmentation computer-vision
Machine Translation|机器翻译|machine-translation nlp
Language Modeling|语言建模|language-models nlp
Question Answering|问答|nlp
Text Generation|文本生成|nlp language-models
Speech Recognition|语音识别|speech
Instance Segmentation|实例分割|segmentation computer-vision
Visual Question Answering|视觉问答|multimodal
Image Captioning|图像描述生成|multimodal
Representation Learning|表示学习|representation-learning
Reinforcement Learning|强化学习|reinforcement-learning
Image Synthesis|图像合成|image-generation generative-models
Action Recognition|动作识别|video
Depth Estimation|深度估计|3d computer-vision
Pose Estimation|姿态估计|computer-vision
Visual Grounding|视觉定位|multimodal
Novel View Synthesis|新视角合成|3d
Code Generation|代码生成|code-generation
Mathematical Reasoning|数学推理|mathematics
Recommendation|推荐|
Anomaly Detection|异常检测|
Domain Adaptation|领域自适应|
Continual Learning|持续学习|
Text Retrieval|文本检索|nlp
Image Retrieval|图像检索|computer-vision
Summarization|文本摘要|nlp
Sentiment Analysis|情感分析|nlp
Named Entity Recognition|命名实体识别|nlp
Relation Extraction|关系抽取|nlp
Dialogue Systems|对话系统|nlp
Optical Flow|光流估计|video
Super-Resolution|超分辨率|image-to-image
Image Denoising|图像去噪|image-to-image
Image Inpainting|图像修复|image-to-image
Video Prediction|视频预测|video
Video Generation|视频生成|video generative-models
Text-to-Image Generation|文生图|image-generation multimodal
Text-to-Speech|语音合成|speech
Speaker Verification|说话人验证|speech
Molecule Generation|分子生成|science generative-models
Protein Structure Prediction|蛋白质结构预测|science
Drug Discovery|药物发现|science
Weather Forecasting|天气预报|science
Time-Series Forecasting|时间序列预测|
Autonomous Driving|自动驾驶|computer-vision
Robotic Manipulation|机器人操作|reinforcement-learning
Visual Navigation|视觉导航|reinforcement-learning
Motion Planning|运动规划|reinforcement-learning
3D Reconstruction|三维重建|3d
Point Cloud Segmentation|点云分割|3d segmentation
Scene Understanding|场景理解|computer-vision
Visual Tracking|视觉跟踪|video
Multi-Object Tracking|多目标跟踪|video object-detection
Person Re-Identification|行人重识别|computer-vision
Face Recognition|人脸识别|computer-vision
Link Prediction|链接预测|graph-neural-networks
Node Classification|节点分类|graph-neural-networks
Graph Classification|图分类|graph-neural-networks
Program Synthesis|程序合成|code-generation
Theorem Proving|定理证明|mathematics
Neural Architecture Search|神经架构搜索|efficient-models
Hyperparameter Optimization|超参数优化|optimization
Federated Learning|联邦学习|distributed-training
Out-of-Distribution Detection|分布外检测|generalization
Adversarial Defense|对抗防御|
Model Compression|模型压缩|efficient-models
Knowledge Distillation|知识蒸馏|efficient-models
Long-Context Modeling|长上下文建模|language-models
Instruction Following|指令遵循|language-models
Tool Use|工具使用|language-models
Open-Domain Dialogue|开放域对话|nlp
Document Understanding|文档理解|nlp multimodal
Table Understanding|表格理解|nlp
Audio Classification|音频分类|speech
Music Generation|音乐生成|generative-models
Video Captioning|视频描述|video multimodal
Temporal Action Localization|时序动作定位|video
Visual Reasoning|视觉推理|relational-reasoning
Commonsense Reasoning|常识推理|nlp
Causal Discovery|因果发现|
Density Estimation|密度估计|generative-models
Metric Learning|度量学习|representation-learning
Zero-Shot Classification|零样本分类|multimodal
Few-Shot Learning|小样本学习|
Active Learning|主动学习|
Semi-Supervised Learning|半监督学习|
Imitation Learning|模仿学习|reinforcement-learning
Offline Reinforcement Learning|离线强化学习|reinforcement-learning
Multi-Agent Coordination|多智能体协作|reinforcement-learning
Game Playing|博弈|games
Data Augmentation|数据增强|regularization
Image Editing|图像编辑|image-generation
Style Transfer|风格迁移|image-to-image
Image-to-Image Translation|图像到图像翻译|image-to-image
Keypoint Detection|关键点检测|computer-vision
Lane Detection|车道线检测|computer-vision
Crowd Counting|人群计数|computer-vision
Medical Image Segmentation|医学图像分割|segmentation
Speech Enhancement|语音增强|speech
Speech Translation|语音翻译|speech machine-translation
Cross-Lingual Transfer|跨语言迁移|nlp
Entity Linking|实体链接|nlp
Fact Verification|事实核查|nlp
Hallucination Detection|幻觉检测|language-models
Preference Optimization|偏好优化|language-models
Reward Modeling|奖励建模|language-models
Mixed-Precision Training|混合精度训练|systems
Distributed Training|分布式训练|distributed-training systems
Pipeline Parallelism|流水线并行|distributed-training
Inference Acceleration|推理加速|systems
On-Device Learning|端侧学习|efficient-models
Edge Inference|边缘推理|efficient-models
Image Compression|图像压缩|information-theory
Text Classification|文本分类|nlp
Paraphrase Generation|复述生成|nlp
Grammatical Error Correction|语法纠错|nlp
Handwriting Recognition|手写识别|computer-vision
Scene Text Recognition|场景文字识别|computer-vision
Video Retrieval|视频检索|video multimodal
Audio-Visual Learning|视听学习|multimodal
Sound Event Detection|声音事件检测|speech
Materials Discovery|材料发现|science
Symbolic Regression|符号回归|mathematics
Combinatorial Optimization|组合优化|optimization
Causal Inference|因果推断|
Uncertainty Estimation|不确定性估计|
Model Calibration|模型校准|generalization
Continuous Control|连续控制|reinforcement-learning
Exploration|探索|reinforcement-learning
"""

_TECHNIQUES = """
Contrastive Learning|对比学习|contrastive-learning self-supervised
Masked Modeling|掩码建模|self-supervised
Knowledge Distillation|知识蒸馏|efficient-models
Self-Training|自训练|
Pseudo-Labeling|伪标签|
Data Augmentation|数据增强|regularization
Meta-Learning|元学习|
Curriculum Learning|课程学习|
Cross-Attention|交叉注意力|attention
Optimal Transport|最优传输|
Score Matching|分数匹配|diffusion
Denoising Diffusion|去噪扩散|diffusion
Vector Quantization|向量量化|generative-models
Low-Rank Adaptation|低秩适配|efficient-models
Prompt Tuning|提示微调|language-models
Instruction Tuning|指令微调|language-models
Human Feedback|人类反馈|language-models
Monte Carlo Tree Search|蒙特卡洛树搜索|games
Graph Convolutions|图卷积|graph-neural-networks
Message Passing|消息传递|graph-neural-networks
Neural ODEs|神经常微分方程|
Mixture of Experts|混合专家|scaling
Sparse Attention|稀疏注意力|attention efficient-models
Linear Attention|线性注意力|attention efficient-models
Rotary Embeddings|旋转位置编码|transformer
Gradient Checkpointing|梯度检查点|systems
Weight Sharing|权重共享|
Dropout|Dropout|regularization
Batch Normalization|批归一化|optimization
Layer Normalization|层归一化|optimization
Residual Connections|残差连接|residual-networks
Skip Connections|跳跃连接|
Dynamic Routing|动态路由|
Hard Negative Mining|难负样本挖掘|contrastive-learning
Momentum Encoders|动量编码器|contrastive-learning
Clustering|聚类|
Teacher-Student Training|师生训练|
Variational Inference|变分推断|vae
Bayesian Optimization|贝叶斯优化|optimization
Evolutionary Search|进化搜索|
Program Induction|程序归纳|
Chain-of-Thought Prompting|思维链提示|language-models
Retrieval Augmentation|检索增强|language-models
Test-Time Adaptation|测试时自适应|generalization
Token Merging|词元合并|efficient-models
Early Exiting|提前退出|efficient-models
Speculative Decoding|推测解码|systems
Beam Search|束搜索|sequence-to-sequence
Tree Search|树搜索|
Random Features|随机特征|
Hashing|哈希|
Quantization-Aware Training|量化感知训练|efficient-models
Neural Rendering|神经渲染|3d
Volume Rendering|体渲染|3d
Implicit Functions|隐式函数|3d
Spectral Normalization|谱归一化|gan
Adversarial Training|对抗训练|
Consistency Regularization|一致性正则化|regularization
Label Smoothing|标签平滑|regularization
Mixup|Mixup|regularization
Multi-Head Attention|多头注意力|attention
Recurrent Memory|循环记忆|memory rnn
External Memory|外部记忆|memory
Differentiable Search|可微搜索|
Weight Averaging|权重平均|optimization
Feature Pyramids|特征金字塔|object-detection
Deformable Convolutions|可变形卷积|cnn
Depthwise Separable Convolutions|深度可分离卷积|cnn efficient-models
Positional Encodings|位置编码|transformer
Relative Position Bias|相对位置偏置|transformer
Gumbel-Softmax|Gumbel-Softmax|
Importance Sampling|重要性采样|
Langevin Dynamics|朗之万动力学|diffusion
Energy Minimization|能量最小化|
Policy Gradients|策略梯度|reinforcement-learning
Q-Learning|Q 学习|reinforcement-learning
Self-Play|自我对弈|games reinforcement-learning
Pointer Mechanisms|指针机制|attention
Capsule Routing|胶囊路由|
Sinkhorn Iterations|Sinkhorn 迭代|
Hierarchical Softmax|层次化 Softmax|nlp
"""

_VERBS = """
Segment|分割|segmentation
Rank|排序|
Generate|生成|generative-models
Predict|预测|
Align|对齐|
Compose|组合|
Navigate|导航|reinforcement-learning
Plan|规划|reinforcement-learning
Search|搜索|
Communicate|通信|
Optimize|优化|optimization
Remember|记忆|memory
Count|计数|
Reason about|推理|relational-reasoning
Summarize|总结|nlp
Ground|定位|multimodal
Track|跟踪|video
Grasp|抓取|reinforcement-learning
Paint|绘制|image-generation
Translate|翻译|machine-translation
Retrieve|检索|
Compress|压缩|information-theory
Detect|检测|object-detection
Describe|描述|multimodal
Recognize|识别|
Reconstruct|重建|3d
Edit|编辑|
Simulate|模拟|
Answer Questions about|回答关于|nlp
Program|编写|code-generation
"""

_OBJECTS = """
Objects|物体|
Images|图像|computer-vision
Scenes|场景|
Programs|程序|code-generation
Graphs|图|graph-neural-networks
Sentences|句子|nlp
Actions|动作|video
Molecules|分子|science
Proteins|蛋白质|science
Shapes|形状|3d
Videos|视频|video
Documents|文档|nlp
Tables|表格|
Trajectories|轨迹|
Proofs|证明|mathematics
Tools|工具|language-models
Queries|查询|
Regions|区域|
Keypoints|关键点|
Words|单词|nlp
Faces|人脸|
Sounds|声音|speech
Layouts|布局|
Equations|方程|mathematics
Instructions|指令|language-models
Relations|关系|relational-reasoning
Stories|故事|nlp
Melodies|旋律|
"""

_PROPERTIES = """
Convergence|收敛性|optimization
Robustness|鲁棒性|
Expressivity|表达能力|
Generalization|泛化|generalization
Calibration|校准|
Stability|稳定性|
Sample Complexity|样本复杂度|
Implicit Bias|隐式偏置|generalization
Limitations|局限性|
Effectiveness|有效性|
Role|作用|
Benefits|益处|
Optimization Landscape|优化景观|optimization
Memorization|记忆化|generalization
Transferability|可迁移性|
Interpretability|可解释性|interpretability
Scaling Behavior|缩放行为|scaling
Inductive Bias|归纳偏置|
Identifiability|可辨识性|
Sensitivity|敏感性|
Privacy|隐私性|
Fairness|公平性|
Efficiency|效率|
Consistency|一致性|
Training Dynamics|训练动力学|optimization
Loss Landscape|损失景观|optimization
Double Descent|双下降|generalization
Emergence|涌现|scaling
Hardness|困难性|complexity
Capacity|容量|
"""

_SCALES = """
Billions of Parameters|数十亿参数|scaling
Trillion-Token Corpora|万亿词元语料|scaling language-models
Thousands of GPUs|数千块 GPU|distributed-training
Long Contexts|长上下文|language-models
Million-Scale Graphs|百万级图|graph-neural-networks
Gigapixel Images|十亿像素图像|computer-vision
Hour-Long Videos|小时级视频|video
Hundreds of Languages|数百种语言|nlp
Web-Scale Data|网络规模数据|scaling
Extreme Resolutions|超高分辨率|computer-vision
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_PREFIXES = _words(
    "Graph Vi Mo Sim Dino Swin Deep Fast Mask Point Seg Flow Diff Res Dense Mobile Eff Style "
    "Cycle Pix Mem Retro Tok Hyper Meta Proto Uni Omni Any Spark Lumi Nova Astra Aero Alpha "
    "Gamma Delta Omega Zeta Kappa Sigma Tri Quad Poly Mono Duo Multi Cross Inter Trans Neuro "
    "Cog Sem Syn Geo Topo Chrono Tempo Vox Mesh Panop Ego Holo Luma Opti Quant Bit Byte Spec "
    "Wave Echo Sonic Vocal Lingo Text Code Math Chem Bio Med Robo Auto Co Re Pre Ada Dyna "
    "Agile Swift Micro Mega Giga Big Long Wide Slim Lean Sparse Light Bright Clear Sharp "
    "Vivid Orbit Prism Lens Pixel Vector Tensor Matrix Kernel Gauss Bayes Markov Euler Hebb "
    "Zipf Atlas Titan Falcon Hawk Lynx Otter Panda Koala Lotus Maple Cedar Aurora Zen Nimbus "
    "Cirrus Stratus Quasar Pulsar Photon Quark Ion Helix Vertex Nexus Apex Crux Fuse Blend "
    "Morph Shift Warp Loop Scan Scene Sketch Paint Draw Chat Talk Reason Plan Think Gist"
)
_SUFFIXES = _words(
    "Net MAE Former GAN BERT CLIP Seg Det Flow Diff GPT NeRF ViT Mixer Fusion Match Track "
    "Pose Depth RL Rec Gen LM Align Coder Bench Nav Plan Search Mem Attn Conv Pool Norm Drop "
    "Aug Distill Prune Quant Tune Prompt Adapter Graph Tok Vox Cast Sense Mind Scope Vision "
    "Voice Speech Wave Fold Dock Cell Code Solve Prover Agent Bot World Sim Gym VAE SAM DETR "
    "YOLO Caps Hash Rank QA Cap Edit Painter Render Field Splat"
)
_VARIANTS = ("-Lite", "-XL", "-Tiny", "-Base", "-Large", "-S", "-Zero", "-Pro", "-Mini", "-HD")
_A2B = _words("seq wav node graph word doc img text vid pix code mol prot sent point voxel")
_SIZES = ("-B", "-L", "-S", "-Base", "-Large", "-Small", "-H", "-T")

_FIRST = _words(
    "Wei Yu Jian Kaiming Xiangyu Jun Yi Xin Hao Lei Jie Ming Tao Yang Bo Chen Hui Yan Qiang "
    "Zhiyuan Haoran Yuxin Jiaming Xiaolong Ruoxi Shaoqing Zhuowen Yiming Xinyu Tianyu Ziwei "
    "Jiahui Chenxi Mingxing Lingfeng Qi Fei Song Heng Kai Liang Zhe Rui Peng Shuai Xiao "
    "John Michael David James Robert Daniel Thomas Christopher Andrew Matthew Alexander Ryan "
    "Emily Sarah Jessica Laura Anna Maria Julia Sophie Emma Olivia Hannah Rachel Katherine "
    "Pieter Jan Lukas Felix Sebastian Matthias Tobias Stefan Nicolas Pierre Antoine Julien "
    "Luca Marco Giulia Alessandro Pablo Javier Carlos Diego Ana Sofia Igor Dmitry Sergey "
    "Alexei Olga Natalia Rahul Arjun Ankit Priya Aditya Vikram Neha Shubham Ji-Hoon Min-Jun "
    "Seo-yeon Hyun Jae Takeshi Yuki Hiroshi Kenji Amir Omar Yasmin Tariq Noam Yonatan Elad"
)
_LAST = _words(
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao "
    "Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang "
    "Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Lu Jiang Fan Fang Shi Qian Dai Xia Zhong "
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Martin Jackson White Harris Clark Lewis Walker Hall Allen Young King Wright Scott Green "
    "Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker "
    "Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey "
    "Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schulz Koch Richter "
    "Dubois Laurent Bernard Moreau Lefebvre Rossi Russo Ferrari Bianchi Garcia Martinez "
    "Lopez Gonzalez Rodriguez Fernandez Ivanov Petrov Smirnov Kuznetsov Sharma Gupta Singh "
    "Kumar Patel Reddy Iyer Agarwal Kim Lee Park Choi Jung Kang Tanaka Suzuki Sato Watanabe "
    "Nakamura Cohen Levy Friedman Haddad Nasser Kowalski Novak Jensen Nielsen Larsen Berg"
)
_VENUES = _words(
    "NeurIPS ICML ICLR CVPR ICCV ECCV ACL EMNLP NAACL AAAI IJCAI KDD TPAMI JMLR TACL WACV "
    "Interspeech ICASSP CoRL RSS AISTATS UAI COLING"
)
# Chinese connectives for "for <task>" and "via/with <technique>", each as (before, after).
_ZH_FOR = (("面向", "的"), ("用于", "的"), ("针对", "的"), ("", "中的"), ("", "任务的"))
_ZH_VIA = (("基于", "的"), ("利用", "的"), ("借助", "的"), ("结合", "的"), ("", "驱动的"))
_OTHER_KINDS = ("blog post", "tutorial", "course", "thesis", "book")


@dataclass(frozen=True)
class _Word:
    en: str
    zh: str
    topics: tuple[str, ...]


def _parse(block: str) -> tuple[_Word, ...]:
    out = []
    for line in block.strip().splitlines():
        en, zh, topics = line.split("|")
        out.append(_Word(en, zh, tuple(topics.split())))
    return tuple(out)


ADJECTIVES = _parse(_ADJECTIVES)
DOMAINS = _parse(_DOMAINS)
NOUNS = _parse(_NOUNS)
TASKS = _parse(_TASKS)
TECHNIQUES = _parse(_TECHNIQUES)
VERBS = _parse(_VERBS)
OBJECTS = _parse(_OBJECTS)
PROPERTIES = _parse(_PROPERTIES)
SCALES = _parse(_SCALES)

T = TypeVar("T")
_LATIN = re.compile(r"[A-Za-z0-9]")
_PLACEHOLDER = "\x00"  # where the method name goes until it is chosen


def _zipf(n: int, s: float = 0.9) -> list[float]:
    """Cumulative Zipf-like weights for ``random.choices`` (rank r weighs 1 / r^s)."""
    total, out = 0.0, []
    for r in range(1, n + 1):
        total += 1.0 / r**s
        out.append(total)
    return out


_NON_ALNUM = re.compile(r"[\W_]+")


def _compact(text: str) -> str:
    """Lower case, letters and digits (any script) only: the clash key."""
    return _NON_ALNUM.sub("", text.casefold())


def _zh(*parts: str) -> str:
    """Join Chinese parts; a space goes between a Latin letter and a Chinese character, as in
    real Chinese titles ("双向 Transformer 预训练")."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and (
            (_LATIN.match(out[-1]) and not _LATIN.match(part[0]) and part[0] not in "：，？")
            or (_LATIN.match(part[0]) and not _LATIN.match(out[-1]) and out[-1] not in "：，？")
            or (_LATIN.match(out[-1]) and _LATIN.match(part[0]))
        ):
            out += " "
        out += part
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40]


class _Generator:
    """One synthetic catalogue's worth of state: the random stream and what is taken."""

    def __init__(self, rng: random.Random, base: Catalogue) -> None:
        self.rng = rng
        self.topic_ids = list(base.topics)
        self.known_topics = set(base.topics)
        self.cum = {
            id(words): _zipf(len(words))
            for words in (
                ADJECTIVES,
                DOMAINS,
                NOUNS,
                TASKS,
                TECHNIQUES,
                VERBS,
                OBJECTS,
                PROPERTIES,
                SCALES,
            )
        }
        self.cum_prefix = _zipf(len(_PREFIXES), 0.6)
        self.cum_suffix = _zipf(len(_SUFFIXES), 0.6)
        self.cum_first = _zipf(len(_FIRST), 0.5)
        self.cum_last = _zipf(len(_LAST), 0.7)
        # Names of real papers and decoys: no synthetic name may equal one of them.
        self.reserved: set[str] = set()
        for p in base:
            for name in (p.title, p.title_zh, *p.aliases_en, *p.aliases_zh):
                self.reserved.add(_compact(name))
                self.reserved.add(_compact(re.split(r"[:：]", name, maxsplit=1)[0]))
        for names in base.decoys:
            self.reserved.update(_compact(n) for n in names)
        self.titles: set[str] = set()
        self.names: set[str] = set()  # aliases taken (an alias names one paper only)
        # Short names made only of the commonest words ("Deep Networks") are no alias.
        self.common = {
            word
            for words in (ADJECTIVES, DOMAINS, NOUNS, TASKS)
            for w in words[:10]
            for word in w.en.split()
        }
        self.methods: set[str] = set()
        self.sequel_bases: list[tuple[str, int]] = []  # (method, year)
        self.sequels: set[str] = set()

    def draw(self, items: Sequence[T], cum: list[float]) -> T:
        """One item, with cumulative weights ``cum`` (as ``random.choices``, but cheaper)."""
        return items[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def pick(self, words: Sequence[_Word]) -> _Word:
        return self.draw(words, self.cum[id(words)])

    def free(self, name: str) -> bool:
        key = _compact(name)
        return (
            bool(key)
            and key not in self.reserved
            and key not in self.methods
            and key not in self.names
        )

    # -- names ----------------------------------------------------------------------------

    def method_name(self, words: Sequence[str]) -> str:
        rng = self.rng
        for _ in range(50):
            roll = rng.random()
            if roll < 0.62:
                name = self.draw(_PREFIXES, self.cum_prefix) + self.draw(
                    _SUFFIXES, self.cum_suffix
                )
            elif roll < 0.80:
                name = (
                    self.draw(_PREFIXES, self.cum_prefix)
                    + self.draw(_SUFFIXES, self.cum_suffix)
                    + rng.choice(_VARIANTS)
                )
            elif roll < 0.86:
                a, b = rng.sample(_A2B, 2)
                name = f"{a}2{b}"
            else:
                initials = [w[0].upper() for w in words if w[:1].isalpha()]
                k = min(len(initials), rng.randint(3, 5))
                if k < 3:
                    continue
                start = rng.randint(0, len(initials) - k)
                name = "".join(initials[start : start + k])
                if rng.random() < 0.3:
                    name += rng.choice(("-Net", "Net", "-2", "++"))
            if self.free(name):
                self.methods.add(_compact(name))
                return name
        # Practically unreachable; still unique.
        name = f"Syn{len(self.methods)}Net"
        self.methods.add(_compact(name))
        return name

    def authors(self) -> tuple[str, ...]:
        rng = self.rng
        n = rng.choices(range(1, 7), weights=(10, 20, 22, 20, 15, 13))[0]
        out: list[str] = []
        while len(out) < n:
            first = self.draw(_FIRST, self.cum_first)
            last = self.draw(_LAST, self.cum_last)
            middle = f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.08 else ""
            name = f"{first}{middle} {last}"
            if name not in out:
                out.append(name)
        return tuple(out)

    def year(self) -> int:
        # Weighted towards recent years, like the literature itself (1990-2026).
        y = 2026 - int(self.rng.expovariate(1 / 6.0))
        return max(1990, min(2026, y))

    def zh_for(self, task: _Word) -> str:
        """ "for <task>" in Chinese, with one of the usual connectives."""
        lead, tail = self.rng.choice(_ZH_FOR)
        return _zh(lead, task.zh, tail)

    def zh_via(self, *words: _Word) -> str:
        """ "via/with <technique>" in Chinese, with one of the usual connectives."""
        lead, tail = self.rng.choice(_ZH_VIA)
        return _zh(lead, *(w.zh for w in words), tail)

    # -- titles ---------------------------------------------------------------------------

    def title(self, method: str | None) -> tuple[str, str, list[_Word], str, str]:
        """Return ``(title, title_zh, slot words, short English name, short Chinese name)``.

        ``method`` is put in front of the title ("<method>: ..."); ``None`` gives a title
        without a method name.
        """
        rng, pick = self.rng, self.pick
        adj, dom, noun, task = pick(ADJECTIVES), pick(DOMAINS), pick(NOUNS), pick(TASKS)
        tech = pick(TECHNIQUES)
        short_en, short_zh = f"{adj.en} {noun.en}", _zh(adj.zh, noun.zh)
        if method is not None:
            k = rng.choices(range(6), weights=(30, 20, 20, 8, 12, 10))[0]
            if k == 0:
                en = f"{method}: {adj.en} {dom.en} {noun.en} for {task.en}"
                zh = _zh(f"{method}：", self.zh_for(task), adj.zh, dom.zh, noun.zh)
                used = [adj, dom, noun, task]
                short_en, short_zh = f"{adj.en} {dom.en} {noun.en}", _zh(adj.zh, dom.zh, noun.zh)
            elif k == 1:
                en = f"{method}: {adj.en} {noun.en} via {tech.en}"
                zh = _zh(f"{method}：", self.zh_via(tech), adj.zh, noun.zh)
                used = [adj, noun, tech]
            elif k == 2:
                en = f"{method}: {task.en} with {adj.en} {noun.en}"
                zh = _zh(f"{method}：", self.zh_via(adj, noun), task.zh)
                used = [adj, noun, task]
            elif k == 3:
                en = f"{method}: Towards {adj.en} {task.en}"
                zh = _zh(f"{method}：迈向", adj.zh, task.zh)
                used = [adj, task]
                short_en, short_zh = f"{adj.en} {task.en}", _zh(adj.zh, task.zh)
            elif k == 4:
                # "A Masked Image Model"; a mass noun ("Pretraining") takes no article.
                article = ("An " if adj.en[0] in "AEIOU" else "A ") if noun.en[-1] == "s" else ""
                one = noun.en[:-1] if noun.en[-1] == "s" else noun.en
                en = f"{method}: {article}{adj.en} {dom.en} {one} for {task.en}"
                zh = _zh(f"{method}：一种用于", task.zh, "的", adj.zh, dom.zh, noun.zh)
                used = [adj, dom, noun, task]
            else:
                scale = pick(SCALES)
                en = f"{method}: Scaling {adj.en} {noun.en} to {scale.en}"
                zh = _zh(f"{method}：将", adj.zh, noun.zh, "扩展到", scale.zh)
                used = [adj, noun, scale]
            return en, zh, used, short_en, short_zh
        k = rng.choices(range(11), weights=(14, 12, 10, 8, 6, 12, 8, 8, 6, 6, 10))[0]
        if k == 0:
            en = f"{adj.en} {dom.en} {noun.en} for {task.en}"
            zh = _zh(self.zh_for(task), adj.zh, dom.zh, noun.zh)
            used = [adj, dom, noun, task]
        elif k == 1:
            verb, obj = pick(VERBS), pick(OBJECTS)
            en = f"Learning to {verb.en} {obj.en} with {adj.en} {noun.en}"
            zh = _zh("利用", adj.zh, noun.zh, "学习", verb.zh, obj.zh)
            used = [verb, obj, adj, noun]
            short_en, short_zh = f"Learning to {verb.en} {obj.en}", _zh("学习", verb.zh, obj.zh)
        elif k == 2:
            en = f"Towards {adj.en} {noun.en} for {task.en}"
            zh = _zh("迈向用于", task.zh, "的", adj.zh, noun.zh)
            used = [adj, noun, task]
        elif k == 3:
            prop = pick(PROPERTIES)
            en = f"On the {prop.en} of {adj.en} {noun.en}"
            zh = _zh("论", adj.zh, noun.zh, "的", prop.zh)
            used = [prop, adj, noun]
        elif k == 4:
            adj2 = pick(ADJECTIVES)
            en = f"{adj.en} {noun.en} Are {adj2.en} {dom.en} Learners"
            zh = _zh(adj.zh, noun.zh, "是", adj2.zh, dom.zh, "学习器")
            used = [adj, noun, adj2, dom]
        elif k == 5:
            en = f"{adj.en} {dom.en} {noun.en} with {tech.en}"
            zh = _zh(self.zh_via(tech), adj.zh, dom.zh, noun.zh)
            used = [adj, dom, noun, tech]
            short_en, short_zh = f"{adj.en} {dom.en} {noun.en}", _zh(adj.zh, dom.zh, noun.zh)
        elif k == 6:
            lead = rng.choice((("Rethinking", "重新思考"), ("Revisiting", "重新审视")))
            en = f"{lead[0]} {dom.en} {noun.en} for {task.en}"
            zh = _zh(lead[1], "用于", task.zh, "的", dom.zh, noun.zh)
            used = [dom, noun, task]
            short_en, short_zh = f"{dom.en} {noun.en}", _zh(dom.zh, noun.zh)
        elif k == 7:
            en = f"Improving {task.en} with {adj.en} {noun.en}"
            zh = _zh("用", adj.zh, noun.zh, "改进", task.zh)
            used = [task, adj, noun]
        elif k == 8:
            en = f"{tech.en} Is All You Need for {task.en}"
            zh = _zh(task.zh, "只需要", tech.zh)
            used = [tech, task]
            short_en, short_zh = f"{tech.en} for {task.en}", _zh(task.zh, tech.zh)
        elif k == 9:
            en = f"An Empirical Study of {adj.en} {noun.en} for {task.en}"
            zh = _zh(adj.zh, noun.zh, "用于", task.zh, "的实证研究")
            used = [adj, noun, task]
        else:
            en = f"{adj.en} {task.en} via {tech.en}"
            zh = _zh(self.zh_via(tech), adj.zh, task.zh)
            used = [adj, task, tech]
            short_en, short_zh = f"{adj.en} {task.en}", _zh(adj.zh, task.zh)
        return en, zh, used, short_en, short_zh

    # -- one paper ------------------------------------------------------------------------

    def paper(self, index: int) -> Paper:
        rng = self.rng
        year = self.year()
        sequel: tuple[str, str] | None = None  # (base method, Chinese version tag)
        method: str | None = None
        if self.sequel_bases and rng.random() < 0.06:
            base, base_year = rng.choice(self.sequel_bases)
            tag = rng.choice((" v2", " v2", " v3", "-XL", "-Lite", " 2"))
            if self.free(base + tag):
                method = base + tag
                self.methods.add(_compact(method))
                year = min(2026, max(year, base_year + 1))
                sequel = (base, {" v2": " 第二版", " v3": " 第三版", " 2": " 二代"}.get(tag, tag))
        with_method = method is not None or rng.random() < 0.5
        for _ in range(100):
            # The title is drawn with a placeholder first, so that an acronym method name
            # can come from the title's own words.
            title, title_zh, used, short_en, short_zh = self.title(
                _PLACEHOLDER if with_method else None
            )
            key = title.casefold()
            if key not in self.titles and _compact(title) not in self.reserved:
                break
        if with_method:
            if method is None:
                method = self.method_name(re.findall(r"[A-Za-z][\w-]*", title.split(":")[1]))
                self.sequel_bases.append((method, year))
            title = title.replace(_PLACEHOLDER, method)
            title_zh = title_zh.replace(_PLACEHOLDER, method)
        self.titles.add(key)

        aliases_en: list[str] = []
        pool_en: list[str] = []
        if method is not None:
            aliases_en.append(method)
            if sequel is not None:
                pool_en.append(method.replace(" ", ""))
            else:
                pool_en += [method + rng.choice(_SIZES), f"{method} paper"]
        content = [w for w in re.findall(r"[A-Za-z][\w-]*", title.split(":")[-1]) if len(w) > 3]
        acronym = "".join(w[0].upper() for w in content)
        if 3 <= len(acronym) <= 5:
            pool_en.append(acronym)
        if not set(short_en.split()) <= self.common:
            pool_en.append(short_en)
        authors = self.authors()
        if rng.random() < 0.35:
            pool_en.append(f"{authors[0].split()[-1]} et al. {year}")
        n_en = rng.choices(range(5), weights=(15, 30, 25, 18, 12))[0]
        rng.shuffle(pool_en)
        for alias in pool_en:
            if len(aliases_en) >= n_en:
                break
            if alias not in aliases_en and self.free(alias):
                aliases_en.append(alias)
                self.names.add(_compact(alias))

        pool_zh = [short_zh]
        if method is not None:
            if sequel is not None:
                pool_zh.insert(0, _zh(sequel[0], sequel[1]))
            pool_zh.append(_zh(method, rng.choice(("模型", "网络", "方法", "论文"))))
        n_zh = rng.choices(range(3), weights=(30, 45, 25))[0]
        aliases_zh: list[str] = []
        for alias in dict.fromkeys(pool_zh):
            if len(aliases_zh) < n_zh and alias != title_zh and self.free(alias):
                aliases_zh.append(alias)
                self.names.add(_compact(alias))

        topics: list[str] = []
        for w in used:
            topics += [t for t in w.topics if t in self.known_topics and t not in topics]
        if not topics or rng.random() < 0.3:
            extra = rng.choice(self.topic_ids)
            if extra not in topics:
                topics.append(extra)
        topics = topics[: rng.randint(1, 5)]

        kind = "paper" if rng.random() < 0.96 else rng.choice(_OTHER_KINDS)
        arxiv = None
        if kind == "paper" and year >= 2008:
            arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(1, 19999):05d}"
            url = f"https://arxiv.org/abs/{arxiv}"
        else:
            url = f"https://example.org/synthetic/{index:05d}"
        venue = f"{rng.choice(_VENUES)} {min(2026, year + rng.randint(0, 1))}"
        slug = _slug(method or short_en)
        return Paper(
            id=f"syn-{index:05d}-{slug}",
            title=title,
            title_zh=title_zh,
            authors=authors,
            year=year,
            url=url,
            arxiv=arxiv,
            kind=kind,
            venue=venue if kind == "paper" and rng.random() < 0.8 else None,
            aliases_en=tuple(aliases_en),
            aliases_zh=tuple(aliases_zh),
            topics=tuple(topics),
            summary=Bilingual(f"Synthetic entry: {title}.", f"合成条目：{title_zh}。"),
            why=Bilingual("A synthetic distractor.", "合成的干扰条目。"),
        )


def synthetic_catalogue(size: int, seed: int = 0, *, base: Catalogue | None = None) -> Catalogue:
    """Return the real catalogue plus ``size - len(real papers)`` synthetic papers.

    Args:
        size: the total number of papers (at least the real count, 113).
        seed: the seed of the ``random.Random`` that draws everything; same seed, same
            catalogue.
        base: the real catalogue, if already loaded (default: ``load_catalogue()``).

    Returns:
        A :class:`Catalogue` with the real papers first (unchanged), then the synthetic ones;
        lists, topics, author aliases and decoys are the real catalogue's.

    Raises:
        ValueError: ``size`` is smaller than the real catalogue.
    """
    base = base if base is not None else load_catalogue()
    real = len(base.papers)
    if size < real:
        raise ValueError(f"size {size} is smaller than the real catalogue ({real} papers)")
    if size == real:
        return base
    gen = _Generator(random.Random(seed), base)
    papers: dict[str, Paper] = dict(base.papers)
    for i in range(1, size - real + 1):
        paper = gen.paper(i)
        papers[paper.id] = paper
    return Catalogue(
        papers=papers,
        lists=base.lists,
        topics=base.topics,
        author_aliases=base.author_aliases,
        decoys=base.decoys,
    )
